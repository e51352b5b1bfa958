"""asyncio's StreamWriter.write() passes the bytes to the socket at once when nothing waits in
its buffer: three events written in one turn of the loop leave as three sends, and the buffer
stays empty after each (get_write_buffer_size() is 0). aio's send_chunked gathers a turn's
pieces into one write instead (lesson 18, test "a thousand events yielded without a wait leave
in one write")."""
import asyncio


async def serve(reader, writer):
    for n in range(3):
        writer.write(f"event: n\ndata: {n}\n\n".encode())
        print("after write", n, "buffered:", writer.transport.get_write_buffer_size())
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
    print("client got", len(await reader.read()), "bytes")
    writer.close()
    server.close()


asyncio.run(main())

# expect 3.11:
# after write 0 buffered: 0
# after write 1 buffered: 0
# after write 2 buffered: 0
# client got 54 bytes
