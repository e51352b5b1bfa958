def countdown(n):
    print("countdown starts")
    while n > 0:
        yield n
        n -= 1
    print("countdown ends")


numbers = countdown(2)
print("generator created")
for n in numbers:
    print(n)
print("loop done")
