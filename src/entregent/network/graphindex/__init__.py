"""Storage and compiled kernels behind `entregent.network.graph`: compressed sparse rows (CSR) of int32
member indices with a small overlay of changed neighbour lists (`csr`), the numba kernels that answer
degrees, mutual connections and friends-of-friends over them (`kernels`), and the bulk loader that
reads every `Connection` row from the database into numpy arrays (`loading`).

Importing this package imports numpy and numba; `graph` imports it on first use of the index, so
starting the application does not pay for it.
"""
