letters = iter("ab")
print(next(letters))
print(next(letters))
print(next(letters, "no more"))
try:
    next(letters)
except StopIteration:
    print("StopIteration")
for index, letter in enumerate("xy", start=1):
    print(index, letter)
