"""itertools.batched(iterable, n), Python's counterpart of aio::chunks, arrived in Python 3.12.
In 3.12 its batches are tuples; 3.13 added strict=True, which refuses a short last batch.
(chapter 01, "From Python to C++")"""
import itertools
import sys

if hasattr(itertools, "batched"):
    print(list(itertools.batched(range(7), 3)))
    try:
        list(itertools.batched(range(7), 3, strict=True))
        print("strict=True accepted a short batch")
    except TypeError:
        print("no strict= argument")
    except ValueError:
        print("strict=True refuses a short last batch")
else:
    print("no itertools.batched (mirror.py writes its own chunks)")

# expect 3.11:
# no itertools.batched (mirror.py writes its own chunks)
# expect 3.12:
# [(0, 1, 2), (3, 4, 5), (6,)]
# no strict= argument
# expect 3.13:
# [(0, 1, 2), (3, 4, 5), (6,)]
# strict=True refuses a short last batch
