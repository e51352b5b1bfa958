class YieldNow:
    def __await__(self):
        print("  suspending")
        yield "a value for the driver"
        print("  resumed")


async def work():
    print("  work starts")
    await YieldNow()
    print("  work ends")
    return "done"


coro = work()
print("first send:")
print("send returned:", coro.send(None))
print("second send:")
try:
    coro.send(None)
except StopIteration as stop:
    print("finished with", stop.value)
