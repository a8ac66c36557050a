"""The demo election (10 January 2021, simulated and calibrated to the real figures) and a local double
of the CEC site (election.gov.kz) that serves it.

- :mod:`demo.election`: the deterministic generator (:func:`demo.election.generate`).
- :mod:`demo.outputs`: writes an election to a folder (:func:`demo.outputs.write_election`, or
  :func:`demo.outputs.generate_into` to generate and write in one call).
- :mod:`demo.pages`, :mod:`demo.site`, :mod:`demo.clock`, :mod:`demo.faults`: the site double;
  :func:`demo.site.start_site` serves it in-process on a free loopback port.
- :mod:`demo.samples`: the committed sample pages (``python -m demo.samples`` regenerates them).

Nothing in ``saylau/`` imports this package: the pipeline only ever sees what the site serves and the
files written for observers and precinct imports. The ground truth stays in its own file.
"""
