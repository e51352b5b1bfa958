"""Calling an async def function runs none of its body: it makes a coroutine object. send(None)
runs it up to its next suspension (a yield at the bottom of an await), and raises StopIteration
when the body returns, with the result in its .value. An exception from the body comes out of
send(). (test_coro.cpp: `coro.handle().resume()` is `coro.send(None)`, `take_result()` is
`StopIteration.value`; chapter 03, "The asyncio idea")"""


class Suspend:
    def __await__(self):
        yield


async def greet(name):
    print(f"hello, {name}")
    await Suspend()
    return f"greeted {name}"


async def fail():
    raise ValueError("7 is odd")


coro = greet("Ada")
print("made greet('Ada'): nothing printed yet")
coro.send(None)
print("first send: suspended")
try:
    coro.send(None)
except StopIteration as stop:
    print(f"second send: StopIteration, value {stop.value!r}")

try:
    fail().send(None)
except ValueError as error:
    print(f"an exception comes out of send: {error}")

# expect 3.11:
# made greet('Ada'): nothing printed yet
# hello, Ada
# first send: suspended
# second send: StopIteration, value 'greeted Ada'
# an exception comes out of send: 7 is odd
