# start_server listens on every address its host resolves to, one socket each; with port 0 the
# kernel picks a free port for each socket, so the ports differ.
import asyncio
import socket


async def main():
    loop = asyncio.get_running_loop()

    async def two_addresses(host, port, *, family=0, type=0, proto=0, flags=0):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    loop.getaddrinfo = two_addresses
    server = await asyncio.start_server(lambda reader, writer: writer.close(), "two.test", 0)
    names = [s.getsockname() for s in server.sockets]
    print(len(names), "sockets:", sorted(name[0] for name in names), "same port:", names[0][1] == names[1][1])
    server.close()
    await server.wait_closed()


asyncio.run(main())

# expect 3.11:
# 2 sockets: ['127.0.0.1', '::1'] same port: False
