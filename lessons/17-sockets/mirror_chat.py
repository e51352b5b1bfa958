# Lesson 17, demo 4 in asyncio: a chat room that sends each line to every other client
# (demo_chat.cpp).
import asyncio

room = {}


def broadcast(sender, line):
    for name, writer in room.items():
        if name != sender:
            writer.write(line.encode())


async def chat(reader, writer):
    name = (await reader.readline()).decode()[:-1]
    room[name] = writer
    broadcast(name, f"{name} joined\n")
    while True:
        line = (await reader.readline()).decode()
        if not line:
            break
        broadcast(name, f"{name}: {line}")
    del room[name]
    broadcast(name, f"{name} left\n")
    writer.close()


async def person(port, name, joins, says, leaves):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(joins)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"{name}\n".encode())
    await asyncio.sleep(says - joins)
    writer.write(f"hello from {name}\n".encode())
    while loop.time() < leaves:
        try:
            line = await asyncio.wait_for(reader.readline(), leaves - loop.time())
        except TimeoutError:
            break
        print(f"{loop.time():.1f} {name} hears: {line.decode()}", end="")
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(chat, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    await asyncio.gather(person(port, "alice", 0, 0.1, 1.0), person(port, "bob", 0.2, 0.3, 0.8),
                         person(port, "carol", 0.4, 0.5, 0.6))
    server.close()
    await server.wait_closed()
    print("room empty:", not room)


asyncio.run(main())
