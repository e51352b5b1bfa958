"""A list is an iterable: each iter() hands out a fresh iterator, so a list can be walked twice.
A generator is its own iterator: iter(gen) is gen, and a second walk sees nothing. A for loop
ends when next() raises StopIteration. (chapter 02, "What happens underneath": aio::Countdown
walks again like the list; aio::Generator, like the generator, does not)"""


def countdown(start):
    while start > 0:
        yield start
        start -= 1


numbers = [3, 2, 1]
print(f"iter(list) is the list: {iter(numbers) is numbers}")
print(f"two walks of a list: {list(numbers)} {list(numbers)}")

gen = countdown(3)
print(f"iter(gen) is gen: {iter(gen) is gen}")
print(f"two walks of a generator: {list(gen)} {list(gen)}")

it = iter([1])
print(f"next: {next(it)}")
try:
    next(it)
except StopIteration:
    print("next again: StopIteration")

# expect 3.11:
# iter(list) is the list: False
# two walks of a list: [3, 2, 1] [3, 2, 1]
# iter(gen) is gen: True
# two walks of a generator: [3, 2, 1] []
# next: 1
# next again: StopIteration
