# Lesson 17, demo 1 in asyncio: an echo server and ten clients at once (demo.cpp).
import asyncio

lines_echoed = 0


# book:echo
async def echo(reader, writer):
    global lines_echoed
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line)
        await writer.drain()
        lines_echoed += 1
    writer.close()
    await writer.wait_closed()


async def client(id, port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    heard = ""
    for i in range(3):
        writer.write(f"client {id} line {i}\n".encode())
        await writer.drain()
        line = await reader.readline()
        heard += line.decode()[-2]
        await asyncio.sleep(0.1)
    writer.close()
    await writer.wait_closed()
    return heard
# end book:echo


async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("echo server listening on 127.0.0.1")
    started = loop.time()
    heard = await asyncio.gather(*(client(id, port) for id in range(10)))
    for id in range(10):
        print(f"client {id} heard back lines {heard[id]}")
    print(f"10 clients, 3 lines each, done in {loop.time() - started:.1f} s (one after another: 3.0 s)")
    server.close()
    await server.wait_closed()
    print(f"server closed after echoing {lines_echoed} lines")


asyncio.run(main())
