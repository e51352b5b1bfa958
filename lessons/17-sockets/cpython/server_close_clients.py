# Server.close_clients() and abort_clients() (close every connection a server accepted) arrived
# in 3.13; aio has neither yet.
import asyncio

print("close_clients:", hasattr(asyncio.Server, "close_clients"))
print("abort_clients:", hasattr(asyncio.Server, "abort_clients"))

# expect 3.11:
# close_clients: False
# abort_clients: False
# expect 3.13:
# close_clients: True
# abort_clients: True
