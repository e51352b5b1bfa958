"""Lesson 01's narrated program in Python: demo.cpp mirrors it line for line.

Both print the same lines; lines that start with "~ " are measurements, compared with their
numbers masked. Run it with: python3 lessons/01-generators/mirror.py
"""
import time
import tracemalloc


# The generators of the story

# book:lazy
def fibonacci():
    current, following = 0, 1
    while True:
        yield current
        current, following = following, current + following


def take(source, count):  # itertools.islice(source, count)
    if count == 0:
        return
    taken = 0
    for value in source:
        yield value
        taken += 1
        if taken == count:
            return


def chunks(source, size):  # itertools.batched(source, size), from Python 3.12
    if size == 0:
        raise ValueError("chunks: size must be at least 1")
    chunk = []
    for value in source:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
# end book:lazy


# book:countdown
def countdown(n):
    print(f"  countdown({n}) starts")
    while n > 0:
        print(f"  countdown yields {n}")
        yield n
        n -= 1
    print("  countdown ends")
# end book:countdown


# book:read-lines
def read_lines(name):
    print(f"  open {name}")
    try:
        number = 1
        while True:
            yield f"line {number}"
            number += 1
    finally:
        print(f"  close {name}")
# end book:read-lines


# book:readings
def readings():
    yield 21
    yield 22
    raise RuntimeError("sensor went offline")
# end book:readings


# book:running-average
def running_average():
    try:
        total = 0.0
        count = 0
        average = 0.0
        while True:
            value = yield average
            total += value
            count += 1
            average = total / count
    finally:
        print("  averager closed")
# end book:running-average


# book:eager-lazy
def all_numbers(n):
    numbers = []
    for i in range(n):
        numbers.append(i)
    return numbers


def numbers(n):
    for i in range(n):
        yield i
# end book:eager-lazy


# book:measure
def first_value_ms(make, n):
    start = time.perf_counter()
    values = iter(make(n))
    first = next(values)
    waited = (time.perf_counter() - start) * 1000
    assert first == 0, "the first number should be 0"
    return waited


def sum_and_peak_memory(make, n):
    tracemalloc.start()
    total = sum(make(n))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return total, peak
# end book:measure


def main():
    # book:first-loop
    print("1. Nothing runs until the loop asks")
    numbers_left = countdown(3)
    print("countdown(3) returned; its body has not started")
    for n in numbers_left:
        print(f"loop got {n}")
    # end book:first-loop

    # book:endless
    print("\n2. Endless sequences, taken lazily")
    print("first ten Fibonacci numbers:", " ".join(map(str, take(fibonacci(), 10))))
    for batch in take(chunks(fibonacci(), 4), 3):
        print(f"a batch of {len(batch)}: {' '.join(map(str, batch))}")
    # end book:endless

    # book:early-exit
    print("\n3. Leaving the loop early closes the generator")
    for line in read_lines("server.log"):
        print(f"got {line}")
        if line == "line 2":
            break
    print("after the loop")
    # end book:early-exit

    # book:exception
    print("\n4. An exception in the body reaches the loop")
    try:
        for reading in readings():
            print(f"reading {reading}")
    except RuntimeError as error:
        print(f"caught: {error}")
    # end book:exception

    # book:send
    print("\n5. Two-way: send() gives the body a value")
    averager = running_average()
    next(averager)
    for value in (10.0, 20.0, 60.0):
        average = averager.send(value)
        print(f"send({value:.1f}) -> average {average:.1f}")
    averager.close()
    print("after close()")
    # end book:send

    # book:ten-million
    n = 10_000_000
    print(f"\n6. {n} numbers: eager against lazy")
    print("all_numbers(n) stores every number before it hands out the first")
    print(f"~ first value after {first_value_ms(all_numbers, n):.3f} ms")
    print("numbers(n) computes each number when the loop asks for it")
    print(f"~ first value after {first_value_ms(numbers, n):.3f} ms")

    eager_sum, eager_peak = sum_and_peak_memory(all_numbers, n)
    print(f"sum through all_numbers(n): {eager_sum}")
    print(f"~ peak memory: {eager_peak:,} bytes")
    lazy_sum, lazy_peak = sum_and_peak_memory(numbers, n)
    print(f"sum through numbers(n): {lazy_sum}")
    print(f"~ peak memory: {lazy_peak:,} bytes")
    # end book:ten-million


if __name__ == "__main__":
    main()
