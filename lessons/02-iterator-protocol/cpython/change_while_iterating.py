"""Changing a container while a loop walks it: a dict notices (RuntimeError), a list does not, and
a loop that appends to the list it walks never ends (cut off here after 10 steps). C++ checks
neither; for a std::vector it is undefined behaviour. (chapter 02, pitfall "Iterator invalidation")"""

ages = {"ada": 36, "alan": 41}
try:
    for name in ages:
        ages[name.upper()] = ages[name]
except RuntimeError as error:
    print(f"dict: RuntimeError: {error}")

numbers = [1, 2, 3]
steps = 0
for n in numbers:
    numbers.append(n)
    steps += 1
    if steps == 10:
        break
print(f"list: still going after {steps} steps, {len(numbers)} items")

# expect 3.11:
# dict: RuntimeError: dictionary changed size during iteration
# list: still going after 10 steps, 13 items
