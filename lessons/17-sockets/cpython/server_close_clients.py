# Server.close_clients() and abort_clients() arrived in 3.13: close_clients() closes every
# connection the server accepted (after its buffered output is sent); the handlers' next read
# sees the end of the stream; the server keeps listening. abort_clients() does the same with
# each transport's abort(). 3.11 and 3.12 have neither.
import asyncio


async def echo(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    print(asyncio.get_running_loop().time(), "handler: end of stream")
    writer.close()


async def talk(port, line):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(line)
    return reader, writer, await reader.readline()


async def main():
    loop = asyncio.get_running_loop()
    print("close_clients:", hasattr(asyncio.Server, "close_clients"))
    print("abort_clients:", hasattr(asyncio.Server, "abort_clients"))
    if not hasattr(asyncio.Server, "close_clients"):
        return
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer, answer = await talk(port, b"one\n")
    print(loop.time(), "client got", answer)
    await asyncio.sleep(1)
    server.close_clients()
    print(loop.time(), "client reads", await reader.read(), "serving:", server.is_serving())
    writer.close()
    reader, writer, answer = await talk(port, b"two\n")
    print(loop.time(), "a new client got", answer)
    server.abort_clients()
    print(loop.time(), "client reads", await reader.read())
    writer.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())

# expect 3.11:
# close_clients: False
# abort_clients: False
# expect 3.13:
# close_clients: True
# abort_clients: True
# 0.0 client got b'one\n'
# 1.0 handler: end of stream
# 1.0 client reads b'' serving: True
# 1.0 a new client got b'two\n'
# 1.0 handler: end of stream
# 1.0 client reads b''
