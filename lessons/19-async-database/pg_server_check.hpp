// Lesson 19's programs need a PostgreSQL server: PGHOST, PGPORT, PGUSER and PGDATABASE name it
// (tools/pg-up starts a private one and prints them). Without one, a program says which command
// starts one and exits with code 77, which CTest reports as "skipped". Where a server must be
// there (continuous integration sets AIO_PG_REQUIRED=1), it exits with code 1 instead: a failure.
#pragma once

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>

namespace aio_pg_check {

inline bool server_reachable() {
  if (PQping("") == PQPING_OK) return true;
  const char* host = std::getenv("PGHOST");
  const char* port = std::getenv("PGPORT");
  std::printf("skipped: no PostgreSQL server answers at PGHOST=%s PGPORT=%s.\n"
              "Start a private one for the lesson with:   eval \"$(tools/pg-up)\"\n"
              "and stop it afterwards with:               tools/pg-down\n",
              host ? host : "(unset)", port ? port : "(unset)");
  std::fflush(stdout);
  std::_Exit(std::getenv("AIO_PG_REQUIRED") != nullptr ? 1 : 77);
}

/// Checked once, before main(), in every program that includes this header.
inline const bool server_checked = server_reachable();

}  // namespace aio_pg_check
