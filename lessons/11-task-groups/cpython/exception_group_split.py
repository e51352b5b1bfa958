"""ExceptionGroup.split() and subgroup() keep the nesting and the messages on both sides, match
subclasses, and leave a side empty (None) when nothing goes there; except* clauses take each leaf
in the first clause that matches it and re-raise the rest.
(test_exception_group.cpp: split, subgroup, handle)"""


class NetworkError(Exception):
    pass


class ConnectionError_(NetworkError):
    pass


class ReadTimeout(NetworkError):
    pass


def shape(error):
    if error is None:
        return "none"
    if isinstance(error, BaseExceptionGroup):
        return f"{error.message}[{', '.join(shape(e) for e in error.exceptions)}]"
    return str(error)


def sample():
    inner = ExceptionGroup("inner", [ConnectionError_("refused"), ValueError("bad input")])
    return ExceptionGroup("errors", [ConnectionError_("reset"), ReadTimeout("slow"), inner])


print(str(sample()))
print(str(ExceptionGroup("unhandled errors in a TaskGroup", [RuntimeError("a")])))
for kind in (ConnectionError_, NetworkError, Exception, LookupError):
    matching, rest = sample().split(kind)
    print(f"split({kind.__name__}): {shape(matching)} | {shape(rest)}")
print(f"subgroup(ValueError): {shape(sample().subgroup(ValueError))}")
print(f"subgroup(LookupError): {shape(sample().subgroup(LookupError))}")

try:
    try:
        raise sample()
    except* ReadTimeout as group:
        for e in group.exceptions:
            print(f"timeout: {e}")
    except* NetworkError as group:
        print(f"network: {shape(group)}")
except ExceptionGroup as rest:
    print(f"left: {shape(rest)}")

# expect 3.11:
# errors (3 sub-exceptions)
# unhandled errors in a TaskGroup (1 sub-exception)
# split(ConnectionError_): errors[reset, inner[refused]] | errors[slow, inner[bad input]]
# split(NetworkError): errors[reset, slow, inner[refused]] | errors[inner[bad input]]
# split(Exception): errors[reset, slow, inner[refused, bad input]] | none
# split(LookupError): none | errors[reset, slow, inner[refused, bad input]]
# subgroup(ValueError): errors[inner[bad input]]
# subgroup(LookupError): none
# timeout: slow
# network: errors[reset, inner[refused]]
# left: errors[inner[bad input]]
