"""An exception raised in a generator's body comes out of the next() that ran into it, in the
consumer's frame; the generator is finished after that, and every later next() raises
StopIteration. aio::Generator does the same: the exception comes out of begin() or ++, and then
the iterator equals end().
(test_generator.cpp: "after an exception the sequence is over and its locals are released")"""


def readings():
    try:
        yield 21
        raise RuntimeError("sensor went offline")
    finally:
        print("  the body's finally ran")


source = readings()
print(f"next: {next(source)}")
try:
    next(source)
except RuntimeError as error:
    print(f"next raised: {error}")
try:
    next(source)
except StopIteration:
    print("next again: StopIteration, the sequence is over")

# expect 3.11:
# next: 21
#   the body's finally ran
# next raised: sensor went offline
# next again: StopIteration, the sequence is over
