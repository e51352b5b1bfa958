"""Lesson 02: the iterator protocol. The Python program that demo.cpp mirrors, line for line.

  1. a hand-written iterator        Countdown: __iter__, and CountdownIterator: __next__
  2. a for loop, step by step       iter(), next() and StopIteration, written out
  3. the same countdown, generated  def countdown(start): ... yield ...
  4. a sentinel value               iter(read_line, "quit")
  5. composing iterators            enumerate, a generator expression, itertools.islice
"""
import io
import itertools


# book:countdown
class Countdown:
    """The iterable: each call of __iter__ hands out a fresh iterator."""

    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return CountdownIterator(self.start)


class CountdownIterator:
    """The iterator: __next__ returns the current number and steps past it."""

    def __init__(self, current):
        self.current = current

    def __iter__(self):
        return self

    def __next__(self):
        if self.current < 1:          # C++: it == end
            raise StopIteration
        value = self.current          # C++: *it
        self.current -= 1             # C++: ++it
        return value
# end book:countdown


# book:countdown-generator
def countdown(start):
    while start > 0:
        yield start
        start -= 1
# end book:countdown-generator


def show(label, numbers):
    """Prints "  label: 3 2 1", walking `numbers` once."""
    print(f"  {label}:", end="")
    for n in numbers:
        print(f" {n}", end="")
    print()


def naturals():
    """0, 1, 2, ... without end."""
    n = 0
    while True:
        yield n
        n += 1


def main():
    print("1. a hand-written iterator")
    from_three = Countdown(3)
    show("Countdown(3)", from_three)
    show("the same Countdown, again", from_three)

    print("2. what a for loop does, step by step")
    # book:for-expanded
    iterator = iter(Countdown(3))     # for n in Countdown(3): ... is this loop
    while True:
        try:
            n = next(iterator)
        except StopIteration:
            break
        print(f"  got {n}")
    # end book:for-expanded
    print("  the iterator is at the end: the loop stops")

    print("3. the same countdown, as a generator")
    show("countdown(3)", countdown(3))

    print("4. a sentinel value ends the loop")
    # book:iter
    script = io.StringIO("ls\ncd /tmp\nquit\nrm -rf /\n")

    def read_line():
        return script.readline().rstrip("\n")

    for command in iter(read_line, "quit"):
        print(f"  run: {command}")
    print(f"  left unread: {read_line()}")
    # end book:iter

    print("5. composing iterators")
    # book:enumerate
    print("  enumerate(countdown(3), 1):", end="")
    for i, n in enumerate(countdown(3), 1):
        print(f" {i}:{n}", end="")
    print()
    # end book:enumerate
    # book:views
    even_squares = (n * n for n in countdown(10)
                    if n % 2 == 0)
    show("even squares from countdown(10)", even_squares)
    show("first five naturals", itertools.islice(naturals(), 5))
    # end book:views


if __name__ == "__main__":
    main()
