def running_total():
    total = 0
    while True:
        amount = yield total
        print(f"received {amount}")
        total += amount


totals = running_total()
print(next(totals))
print(totals.send(5))
print(totals.send(10))
