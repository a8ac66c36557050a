"""Loading files into the warehouse: the one tabular-file reader (:mod:`saylau.load.tables`) and the one
store of protocol values (:mod:`saylau.load.store`) that every loader uses."""
