"""A generator that has not reached its first `yield` cannot receive a value: send() refuses with
TypeError, and so aio::TwoWayGenerator::send() before start() throws std::logic_error.
Sending None is allowed: it is the same as next(), which starts the body. Once the body has
finished, send() raises StopIteration (TwoWayGenerator::send gives back std::nullopt).
(test_two_way_generator.cpp: "send before start is refused, like Python's send to a fresh
generator")"""


def running_average():
    total, count, average = 0.0, 0, 0.0
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


averager = running_average()
try:
    averager.send(10.0)
except TypeError as error:
    print(f"send(10.0) to a fresh generator: TypeError: {error}")

print(f"send(None) starts it, like next(): {averager.send(None)}")
print(f"send(10.0) now: {averager.send(10.0)}")
print(f"send(20.0): {averager.send(20.0)}")


def two_words():
    first = yield "ready"
    print(f"  the body got {first!r} and ends")


talker = two_words()
next(talker)
try:
    talker.send("hello")
except StopIteration:
    print("send to a generator that finishes: StopIteration")
try:
    talker.send("again")
except StopIteration:
    print("send to a finished generator: StopIteration")

# expect 3.11:
# send(10.0) to a fresh generator: TypeError: can't send non-None value to a just-started generator
# send(None) starts it, like next(): 0.0
# send(10.0) now: 10.0
# send(20.0): 15.0
#   the body got 'hello' and ends
# send to a generator that finishes: StopIteration
# send to a finished generator: StopIteration
