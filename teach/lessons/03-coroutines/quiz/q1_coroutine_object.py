async def answer():
    print("answer runs")
    return 42


coro = answer()
print("coroutine created")
try:
    coro.send(None)
except StopIteration as stop:
    print("it returned", stop.value)
