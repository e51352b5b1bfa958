import asyncio


async def stream(reader, writer):
    loop = asyncio.get_running_loop()
    for tick in range(10):
        writer.write(f"tick {tick}\n".encode())
        try:
            await writer.drain()
        except ConnectionError as error:
            print(f"{loop.time():.1f} server: {type(error).__name__} at tick {tick}")
            return
        await asyncio.sleep(1)


async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(stream, "127.0.0.1", 0)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
    print((await reader.readline()).decode().strip())
    writer.close()
    print(f"{loop.time():.1f} client: gone")
    await asyncio.sleep(5)
    server.close()


asyncio.run(main())
