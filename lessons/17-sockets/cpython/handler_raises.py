# A client_connected_cb that raises: the loop's exception handler is told ("Unhandled exception
# in client_connected_cb"), the client's connection is closed, and the server goes on.
import asyncio


async def handle(reader, writer):
    line = await reader.readline()
    if line == b"boom\n":
        raise ValueError("boom")
    writer.write(b"ok: " + line)
    await writer.drain()
    writer.close()


async def ask(port, line):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(line)
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return answer


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: print(
        loop.time(), context["message"] + ":", context["exception"]))
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(loop.time(), "first client got", await ask(port, b"boom\n"))
    print(loop.time(), "second client got", await ask(port, b"fine\n"))
    server.close()
    await server.wait_closed()


asyncio.run(main())

# expect 3.11:
# 0.0 Unhandled exception in client_connected_cb: boom
# 0.0 first client got b''
# 0.0 second client got b'ok: fine\n'
