"""pandera models of the reference files (``saylau/reference_data/*.csv``), keyed by their ``ref`` table.

The files are read as strings; the models check shape, codes, uniqueness and value sets, and coerce
numbers and booleans to the types the ``ref`` DDL expects.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

REGION_CODE = Check.str_matches(r"^KZ-\d{2}$")
ID = Check.str_matches(r"^[a-z][a-z0-9_]*$")
ELECTION_ID = Check.str_matches(r"^[a-z]{2}-\d{4}-\d{2}-\d{2}$")
LANG = Check.isin(["en", "ru", "kk"])
BOOL = Check.isin(["true", "false"])


def _bool() -> Column:
    return Column(str, BOOL, nullable=False)


def _to_bool(frame, *columns):
    frame = frame.copy()
    for c in columns:
        frame[c] = frame[c].map({"true": True, "false": False}).astype(bool)
    return frame


regions = DataFrameSchema(
    {
        "code": Column(str, REGION_CODE, unique=True),
        "kato": Column(str, Check.str_matches(r"^\d{2}$"), unique=True),
        "name_en": Column(str),
        "name_ru": Column(str),
        "name_kk": Column(str),
        "old_iso_alpha": Column(str, nullable=True),
        "in_2021": _bool(),
        "in_2022_plus": _bool(),
        "split_from_2022": Column(str, REGION_CODE, nullable=True),
    },
    checks=[
        Check(
            lambda df: (df["code"].str[3:] == df["kato"]).all(),
            error="ISO numeric code must equal the KATO prefix",
        ),
        Check(lambda df: (df["in_2021"] == "true").sum() == 17, error="2021 had 17 first-level units"),
        Check(lambda df: (df["in_2022_plus"] == "true").sum() == 20, error="2022+ has 20 first-level units"),
    ],
    strict=True,
)

aliases = {
    "alias": Column(str),
    "alias_key": Column(str, Check.str_length(min_value=1)),
    "lang": Column(str, LANG),
}
region_aliases = DataFrameSchema(
    {**aliases, "region_code": Column(str, REGION_CODE)}, unique=["alias", "lang"], strict=True
)
party_aliases = DataFrameSchema(
    {**aliases, "party_id": Column(str, ID)}, unique=["alias", "lang"], strict=True
)

region_crosswalk = DataFrameSchema(
    {
        "code_2021": Column(str, REGION_CODE),
        "code_2022": Column(str, REGION_CODE),
        "relation": Column(str, Check.isin(["same", "split", "renamed"])),
        "note": Column(str, nullable=True),
    },
    unique=["code_2021", "code_2022"],
    strict=True,
)

parties = DataFrameSchema(
    {
        "party_id": Column(str, ID, unique=True),
        "name_en": Column(str),
        "name_ru": Column(str),
        "name_kk": Column(str),
        "short_en": Column(str),
        "kind": Column(str, Check.isin(["party", "candidate", "against_all", "answer"])),
        "note": Column(str, nullable=True),
    },
    strict=True,
)

party_renames = DataFrameSchema(
    {
        "party_id": Column(str, ID),
        "old_name_en": Column(str),
        "new_name_en": Column(str),
        "renamed_on": Column(pa.DateTime, coerce=True),
        "note": Column(str, nullable=True),
    },
    strict=True,
)

elections = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID, unique=True),
        "country": Column(str, Check.str_matches(r"^[A-Z]{2}$")),
        "election_date": Column(pa.DateTime, coerce=True),
        "kind": Column(str, Check.isin(["parliamentary", "presidential", "referendum"])),
        "name_en": Column(str),
        "name_ru": Column(str, nullable=True),
        "name_kk": Column(str, nullable=True),
        "utc_offset_hours": Column(int, Check.in_range(-12, 14), coerce=True),
        "regions_vintage": Column(str, Check.isin(["2021", "2022"]), nullable=True),
        "note": Column(str, nullable=True),
    },
    strict=True,
)

contests = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "contest_id": Column(
            str,
            Check.isin(
                [
                    "mazhilis",
                    "mazhilis_smd",
                    "maslikhat_regional",
                    "maslikhat_regional_smd",
                    "maslikhat_city",
                    "maslikhat_district",
                    "president",
                    "referendum",
                ]
            ),
        ),
        "name_en": Column(str),
        "kind": Column(
            str, Check.isin(["party_list", "mixed", "single_member", "single_winner", "referendum"])
        ),
        "level": Column(str),
        "seats": Column(pa.Float, Check.gt(0), nullable=True, coerce=True),
        "threshold_pct": Column(pa.Float, Check.in_range(0, 100), nullable=True, coerce=True),
        "share_denominator": Column(str, Check.isin(["valid", "ballots_cast"])),
        "turnout_rule": Column(str),
        "has_against_all": _bool(),
    },
    checks=[
        Check(
            lambda df: ((df["kind"] == "referendum") == (df["share_denominator"] == "ballots_cast")).all(),
            error="referendums share of ballots cast; elections share of valid ballots",
        )
    ],
    unique=["election_id", "contest_id"],
    strict=True,
)

ballot_options = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "contest_id": Column(str, ID),
        "option_id": Column(str, ID),
        "position": Column(pa.Float, Check.ge(1), nullable=True, coerce=True),
    },
    unique=["election_id", "contest_id", "option_id"],
    strict=True,
)

candidates = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "option_id": Column(str, ID),
        "lang": Column(str, LANG),
        "surname": Column(str, Check.str_length(min_value=2)),
        "given_names": Column(str, Check.str_length(min_value=2)),
        "patronymic": Column(str, nullable=True),
    },
    unique=["election_id", "option_id", "lang"],
    strict=True,
)

# Single-member districts (from 2023): a district of a contest of kind single_member, what it covers
# (precinct numbers or whole territorial commissions of its region), and who stands in it.
DISTRICT_ID = Check.str_matches(r"^(MZ-\d{2}|KZ-\d{2}/OM-\d{2}|KZ-\d{2}/T\d{2}/DM-\d{2})$")

districts = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "contest_id": Column(str, ID),
        "district_id": Column(str, DISTRICT_ID),
        "number": Column(int, Check.ge(1), coerce=True),
        "region_code": Column(str, REGION_CODE),
        "tec_id": Column(str, Check.str_matches(r"^KZ-\d{2}/T\d{2}$"), nullable=True),
        "name_ru": Column(str),
        "name_kk": Column(str),
        "name_en": Column(str),
        "note": Column(str, nullable=True),
    },
    checks=[
        Check(
            lambda df: (
                df["district_id"].str.startswith("MZ-") | (df["district_id"].str[:5] == df["region_code"])
            ).all(),
            error="a maslikhat district's id starts with its region's code",
        ),
        Check(
            lambda df: (df["tec_id"].isna() | (df["tec_id"].str[:5] == df["region_code"])).all(),
            error="a district's territorial commission is in its region",
        ),
    ],
    unique=["election_id", "district_id"],
    strict=True,
)

district_units = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "district_id": Column(str, DISTRICT_ID),
        "level": Column(str, Check.isin(["pec", "tec"])),
        "region_code": Column(str, REGION_CODE),
        "number_from": Column(int, Check.ge(0), coerce=True),
        "number_to": Column(int, Check.ge(0), coerce=True),
    },
    checks=[Check(lambda df: (df["number_from"] <= df["number_to"]).all(), error="number_from <= number_to")],
    strict=True,
)

district_candidates = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "contest_id": Column(str, ID),
        "district_id": Column(str, DISTRICT_ID),
        "option_id": Column(str, ID),
        "position": Column(int, Check.ge(1), coerce=True),
        "nominated_by": Column(str, ID),  # a party id, or 'self' (self-nominated)
    },
    unique=["election_id", "option_id"],
    checks=[
        Check(
            lambda df: not df.duplicated(["election_id", "district_id", "position"]).any(),
            error="one ballot position per candidate of a district",
        )
    ],
    strict=True,
)

official_totals = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "contest_id": Column(str, ID),
        "item": Column(str),
        "option_id": Column(str, ID, nullable=True),
        "value": Column(int, Check.ge(0), coerce=True),
        "source": Column(str, nullable=True),
    },
    checks=[
        Check(
            lambda df: ((df["item"] == "votes") == df["option_id"].notna()).all(),
            error="option_id is given exactly for 'votes' rows",
        )
    ],
    strict=True,
)

# How each organisation chose its precincts (docs/observers.md, "Sample design"). An organisation not listed
# has a sample that is not random: its figures describe the watched precincts only.
observer_samples = DataFrameSchema(
    {
        "election_id": Column(str, ELECTION_ID),
        "source": Column(str, Check.str_length(min_value=1)),
        "sample_design": Column(str, Check.isin(["random", "convenience"])),
        "precincts_drawn": Column("Int64", Check.ge(1), nullable=True, coerce=True),
        "description": Column(str),
    },
    strict=True,
    unique=["election_id", "source"],
)

REFERENCE_SCHEMAS: dict[str, DataFrameSchema] = {
    "ref.regions": regions,
    "ref.region_aliases": region_aliases,
    "ref.region_crosswalk": region_crosswalk,
    "ref.parties": parties,
    "ref.party_aliases": party_aliases,
    "ref.party_renames": party_renames,
    "ref.elections": elections,
    "ref.contests": contests,
    "ref.ballot_options": ballot_options,
    "ref.candidates": candidates,
    "ref.official_totals": official_totals,
    "ref.districts": districts,
    "ref.district_units": district_units,
    "ref.district_candidates": district_candidates,
    "ref.observer_samples": observer_samples,
}
