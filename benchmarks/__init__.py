"""Benchmarks, run with ``make bench`` (``python -m benchmarks``) on a throwaway database.

Each ``benchmarks/bench_<name>.py`` module exposes ``run(args)``; ``args`` is the parsed
command line (``args.clusters``, ``args.years``, ``args.only``) plus ``args.database``,
a readable label of the database in use. Benchmarks print their figures; they do not
assert on timing.
"""
