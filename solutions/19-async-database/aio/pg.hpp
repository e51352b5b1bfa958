// aio/pg.hpp: lesson 19's async PostgreSQL driver in one include.
#pragma once

#include <aio/pg_connection.hpp>
#include <aio/pg_errors.hpp>
#include <aio/pg_pool.hpp>
#include <aio/pg_transaction.hpp>
#include <aio/pg_values.hpp>
