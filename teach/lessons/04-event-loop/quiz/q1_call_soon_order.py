import asyncio

loop = asyncio.new_event_loop()


def second():
    print("soon 2")
    loop.call_soon(print, "soon, scheduled by soon 2")


loop.call_later(0, print, "call_later(0)")
loop.call_soon(print, "soon 1")
loop.call_soon(second)
loop.call_later(0.1, loop.stop)
loop.run_forever()
loop.close()
