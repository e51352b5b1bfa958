"""What the chapter says about asyncio's own code, read from the running interpreter:
call_soon_threadsafe writes to the self-pipe on every call; run_in_executor wraps the
concurrent future (wrap_future), and the chained futures hand outcomes across with
call_soon_threadsafe; shutdown_default_executor (which asyncio.run calls at its end) takes a
timeout from 3.12 on."""
import inspect
from asyncio import base_events, futures

loop_class = base_events.BaseEventLoop
print("call_soon_threadsafe writes to the self-pipe:",
      "_write_to_self()" in inspect.getsource(loop_class.call_soon_threadsafe))
print("run_in_executor wraps the concurrent future:", "wrap_future" in inspect.getsource(loop_class.run_in_executor))
print("chained futures post with call_soon_threadsafe:",
      "call_soon_threadsafe" in inspect.getsource(futures._chain_future))
print("shutdown_default_executor parameters:", list(inspect.signature(loop_class.shutdown_default_executor).parameters))

# expect 3.11:
# call_soon_threadsafe writes to the self-pipe: True
# run_in_executor wraps the concurrent future: True
# chained futures post with call_soon_threadsafe: True
# shutdown_default_executor parameters: ['self']
# expect 3.12:
# call_soon_threadsafe writes to the self-pipe: True
# run_in_executor wraps the concurrent future: True
# chained futures post with call_soon_threadsafe: True
# shutdown_default_executor parameters: ['self', 'timeout']
