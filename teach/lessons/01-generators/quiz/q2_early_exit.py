def numbers():
    try:
        yield 1
        yield 2
        yield 3
    finally:
        print("cleanup")


gen = numbers()
for n in gen:
    print(n)
    if n == 2:
        break
print("after the loop")
gen.close()
print("after close()")
