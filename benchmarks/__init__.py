"""Page benchmarks against the scale data set: `python -m benchmarks.run` (`make bench`)."""
