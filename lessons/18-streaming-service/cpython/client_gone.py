"""A streaming server learns that its client left only by writing to it. The client reads two
ticks and closes at 1.0; the tick written at 2.0 is accepted (the client's kernel answers it
with a reset), and the drain() after the tick of 3.0 raises. Then aclose() runs the
generator's cleanup: its `finally`. lesson 18's send_chunked does the same (its drain comes
after the next piece, a tick later: test_streaming.cpp)."""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def ticks():
    sent = 0
    try:
        while True:
            yield f"tick {sent}\n"
            sent += 1
            await asyncio.sleep(1)
    finally:
        print(now(), "generator cleanup after", sent, "ticks")


async def stream(reader, writer):
    source = ticks()
    try:
        async for piece in source:
            writer.write(piece.encode())
            await writer.drain()
    except ConnectionError as error:
        print(now(), "drain raised", type(error).__name__)
        await source.aclose()
    writer.close()


async def main():
    server = await asyncio.start_server(stream, "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
    await reader.readuntil(b"tick 1\n")
    print(now(), "client read two ticks and leaves")
    writer.close()
    await asyncio.sleep(5)
    server.close()
    await server.wait_closed()


asyncio.run(main())

# expect 3.11:
# 1.0 client read two ticks and leaves
# 3.0 drain raised ConnectionResetError
# 3.0 generator cleanup after 3 ticks
