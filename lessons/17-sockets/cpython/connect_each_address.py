# open_connection tries every address the host resolves to, in order, and the first that
# connects wins; when all fail with different messages, 3.11 raises one OSError that lists them
# (its errno is None); when one address fails, or all alike, that error itself.
import asyncio
import socket


async def handle(reader, writer):
    writer.write(b"hello\n")
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def two_addresses(host, port, *, family=0, type=0, proto=0, flags=0):
        # ::1 first, where nobody listens; then 127.0.0.1, where the server is
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    loop.getaddrinfo = two_addresses
    reader, writer = await asyncio.open_connection("two.test", port)
    print("connected to", writer.get_extra_info("peername")[0], "and got", await reader.readline())
    writer.close()
    server.close()
    await server.wait_closed()
    try:
        await asyncio.open_connection("two.test", port)
    except OSError as error:
        print(type(error).__name__, error.errno, str(error).startswith("Multiple exceptions: [Errno 111]"))

    async def one_address(host, port, *, family=0, type=0, proto=0, flags=0):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    loop.getaddrinfo = one_address
    try:
        await asyncio.open_connection("one.test", port)
    except OSError as error:
        print(type(error).__name__, error.errno)


asyncio.run(main())

# expect 3.11:
# connected to 127.0.0.1 and got b'hello\n'
# OSError None True
# ConnectionRefusedError 111
