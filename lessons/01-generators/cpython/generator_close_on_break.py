"""Leaving a `for` loop early drops a generator that only the loop held: CPython closes it at
once, which raises GeneratorExit at the paused `yield`, so its `finally:` blocks run before the
next statement after the loop. A generator held in a variable is not closed by `break`: it stays
paused until the variable goes (or close() is called).
(chapter 01, "Step 3: one owner, and leaving early", and the pitfall "A named generator is not
closed by break")"""


def read_lines(name):
    print(f"  open {name}")
    try:
        number = 1
        while True:
            yield f"line {number}"
            number += 1
    except GeneratorExit:
        print(f"  GeneratorExit at the yield of {name}")
        raise
    finally:
        print(f"  close {name}")


print("a temporary generator:")
for line in read_lines("a.log"):
    if line == "line 2":
        break
print("after the loop")

print("a generator held in a variable:")
lines = read_lines("b.log")
for line in lines:
    if line == "line 2":
        break
print("after the loop: b.log is still open")
del lines
print("after del lines")

# expect 3.11:
# a temporary generator:
#   open a.log
#   GeneratorExit at the yield of a.log
#   close a.log
# after the loop
# a generator held in a variable:
#   open b.log
# after the loop: b.log is still open
#   GeneratorExit at the yield of b.log
#   close b.log
# after del lines
