// Lets Catch2 print aio::CancelledError, which is not a std::exception (see aio/errors.hpp).
#include <aio/errors.hpp>
#include <aio_test/catch.hpp>

#include <string>

CATCH_TRANSLATE_EXCEPTION(const aio::CancelledError& error) {
  return std::string("aio::CancelledError: ") + error.what();
}
