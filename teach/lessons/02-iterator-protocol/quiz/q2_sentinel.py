readings = iter([3, 1, 0, 2, 0])


def read():
    value = next(readings)
    print(f"read {value}")
    return value


for value in iter(read, 0):
    print(f"use {value}")
print("left over:", list(readings))
