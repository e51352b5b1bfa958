# Lesson 17, demo 3 in asyncio: a fast writer that drain() holds back to a slow reader's pace
# (demo_backpressure.cpp). Lines that start with "~ " are measurements.
import asyncio
import socket

CHUNK = 64 * 1024
CHUNKS = 32
stats = {"waits": 0, "waited": 0.0, "most_buffered": 0, "writer_done": 0.0}


def small_buffers(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 128 * 1024)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 128 * 1024)


async def write_all(writer):
    loop = asyncio.get_running_loop()
    chunk = b"x" * CHUNK
    for i in range(CHUNKS):
        writer.write(chunk)
        stats["most_buffered"] = max(stats["most_buffered"], writer.transport.get_write_buffer_size())
        before = loop.time()
        await writer.drain()
        if loop.time() > before:
            stats["waits"] += 1
            stats["waited"] += loop.time() - before
    stats["writer_done"] = loop.time()
    writer.close()


async def serve(reader, writer):
    await asyncio.create_task(write_all(writer), name="writer")


async def read_slowly(reader):
    total = 0
    while True:
        chunk = await reader.read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        await asyncio.sleep(0.1)
    return total


async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    small_buffers(listener)
    listener.bind(("127.0.0.1", 0))
    address = listener.getsockname()
    server = await asyncio.start_server(serve, sock=listener)
    sock = socket.socket()
    small_buffers(sock)
    sock.setblocking(False)
    await loop.sock_connect(sock, address)
    reader, writer = await asyncio.open_connection(sock=sock)
    print(f"the server writes {CHUNKS} chunks of 64 KiB; the client reads 64 KiB every 0.1 s")
    total = await asyncio.create_task(read_slowly(reader), name="reader")
    print(f"client read {total // 1024} KiB in all")
    print("the writer's buffer never held more than 64 KiB + one chunk:", stats["most_buffered"] <= 64 * 1024 + CHUNK)
    print(f"~ the writer waited in drain() {stats['waits']} times, {stats['waited']:.1f} s in all; "
          f"it finished at {stats['writer_done']:.1f} s, the reader at {loop.time():.1f} s")
    writer.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())
