"""The comparison harness: publisher-restore's CLI against zip, tar --zstd and restic.

``python -m benchmarks.harness [--quick]``: builds a synthetic site (``benchmarks.synthetic_site``),
then times, on that one site, create without and with media, an unchanged second create,
check and restore of a damaged site, a restore with a pre-restore point, analyse and list;
and the anchors on the same files.  Modules: ``measure`` (one child process: wall, CPU, peak
RSS), ``tools`` (the commands), ``scenarios`` (what is run, in which state), ``targets``
(issue 11's targets), ``report`` (table and JSON).
"""
