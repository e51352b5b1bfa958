import asyncio


async def shout(reader, writer):
    while line := await reader.readline():
        print("server got", line)
        writer.write(line.upper())
        await writer.drain()
    print("server: end of stream")
    writer.close()


async def main():
    server = await asyncio.start_server(shout, "127.0.0.1", 0)  # port 0: any free port
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hel")
    writer.write(b"lo\nwor")
    await writer.drain()
    print("client got", await reader.readline())
    writer.write(b"ld\n")
    print("client got", await reader.readline())
    writer.write_eof()
    print("client got", await reader.read())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
