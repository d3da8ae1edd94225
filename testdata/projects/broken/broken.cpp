#include <mutex>
#include "no_such_header.h"
std::mutex mu2;
void f( {
