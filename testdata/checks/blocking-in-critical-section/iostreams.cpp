// C++ streams: reading std::cin or a file stream, and constructing a file
// stream with a file name, block. String streams are memory only.
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

// -------------------------------------------- an interactive console --

class Console {
public:
  std::string prompt_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string line;
    std::getline(std::cin, line); // expect: threadlint-blocking-in-critical-section "'std::getline' waits for console input while holding 'Console::mu_'"
    history_.push_back(line);
    return line;
  }

  int read_number_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    std::cin >> n; // expect: threadlint-blocking-in-critical-section "'operator>>' waits for console input while holding 'Console::mu_'"
    return n;
  }

  char read_key_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<char>(std::cin.get()); // expect: threadlint-blocking-in-critical-section "waits for console input while holding 'Console::mu_'"
  }

  std::string prompt_ok() {
    std::string line;
    std::getline(std::cin, line);
    std::lock_guard<std::mutex> lock(mu_);
    history_.push_back(line);
    return line;
  }

  int read_number_ok() {
    int n = 0;
    std::cin >> n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      history_.push_back(std::to_string(n));
    }
    return n;
  }

  size_t history_size_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return history_.size();
  }

private:
  std::mutex mu_;
  std::vector<std::string> history_;
};

// -------------------------------------------- a config file loader --

class Settings {
public:
  // Opening and reading the file with the settings locked.
  void reload_bad(const std::string &path) {
    std::lock_guard<std::mutex> lock(mu_);
    std::ifstream in(path); // expect: threadlint-blocking-in-critical-section "'std::basic_ifstream' waits for I/O while holding 'Settings::mu_'"
    std::string key, value;
    while (in >> key >> value) // expect: threadlint-blocking-in-critical-section "'operator>>' waits for I/O while holding 'Settings::mu_'"
      values_[key] = value;
  }

  // Read into a local map, swap under the lock.
  void reload_ok(const std::string &path) {
    std::map<std::string, std::string> fresh;
    std::ifstream in(path);
    std::string key, value;
    while (in >> key >> value)
      fresh[key] = value;
    std::lock_guard<std::mutex> lock(mu_);
    values_.swap(fresh);
  }

  void reload_lines_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string line;
    while (std::getline(file_, line)) // expect: threadlint-blocking-in-critical-section "'std::getline' waits for I/O while holding 'Settings::mu_'"
      values_[line] = "";
  }

  void reopen_bad(const char *path) {
    std::lock_guard<std::mutex> lock(mu_);
    file_.close();
    file_.open(path); // expect: threadlint-blocking-in-critical-section "waits for I/O while holding 'Settings::mu_'"
  }

  void read_blob_bad(char *buf, std::streamsize n) {
    std::lock_guard<std::mutex> lock(mu_);
    blob_.read(buf, n); // expect: threadlint-blocking-in-critical-section "waits for I/O while holding 'Settings::mu_'"
  }

  void save_bad(const std::string &path) {
    std::lock_guard<std::mutex> lock(mu_);
    std::ofstream out(path, std::ios::trunc); // expect: threadlint-blocking-in-critical-section "'std::basic_ofstream' waits for I/O while holding 'Settings::mu_'"
    for (const auto &kv : values_)
      out << kv.first << ' ' << kv.second << '\n';
  }

  // Serialise under the lock, write the file outside it.
  void save_ok(const std::string &path) {
    std::ostringstream text;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto &kv : values_)
        text << kv.first << ' ' << kv.second << '\n';
    }
    std::ofstream out(path, std::ios::trunc);
    out << text.str();
  }

  // Parsing a string under the lock: a string stream is memory only.
  void parse_ok(const std::string &text) {
    std::lock_guard<std::mutex> lock(mu_);
    std::istringstream in(text);
    std::string key, value;
    while (in >> key >> value)
      values_[key] = value;
  }

  void parse_lines_ok(const std::string &text) {
    std::lock_guard<std::mutex> lock(mu_);
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
      values_[line] = "";
    in.get();
  }

  void parse_stringstream_ok(const std::string &text) {
    std::lock_guard<std::mutex> lock(mu_);
    std::stringstream ss(text);
    int version = 0;
    ss >> version;
    version_ = version;
  }

  // A file stream constructed without a file name opens nothing.
  void prepare_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    std::ifstream unopened;
    std::ofstream unopened_out;
    (void)unopened;
    (void)unopened_out;
  }

  // A file stream moved in under the lock opens nothing either.
  void adopt_ok(std::ifstream &&opened) {
    std::lock_guard<std::mutex> lock(mu_);
    std::ifstream mine(std::move(opened));
    (void)mine;
  }

  // Checking the state of a stream does not read from it.
  bool good_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return file_.is_open() && file_.good();
  }

private:
  std::mutex mu_;
  std::map<std::string, std::string> values_;
  std::ifstream file_;
  std::fstream blob_;
  int version_ = 0;
};

// ---------------------------------------- string streams in a formatter --

class Formatter {
public:
  // Building text with an ostringstream under the lock: memory only.
  std::string render_ok() {
    std::lock_guard<std::mutex> lock(mu_);
    std::ostringstream out;
    for (const auto &f : fields_)
      out << f << ';';
    return out.str();
  }

  // A wide string stream.
  int parse_wide_ok(const std::wstring &w) {
    std::lock_guard<std::mutex> lock(mu_);
    std::wistringstream in(w);
    int v = 0;
    in >> v;
    return v;
  }

  // Reading a string stream through an std::istream reference.
  int parse_via_base_ok(const std::string &text) {
    std::lock_guard<std::mutex> lock(mu_);
    std::istringstream iss(text);
    std::istream &in = iss;
    int v = 0;
    in >> v;
    return v;
  }

  // Reading a line of a string stream with get()/ignore().
  char first_char_ok(const std::string &text) {
    std::lock_guard<std::mutex> lock(mu_);
    std::istringstream in(text);
    in.ignore(1);
    return static_cast<char>(in.get());
  }

  // Reading a file into fields, then storing them under the lock.
  void load_ok(const char *path) {
    std::vector<std::string> fresh;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      fresh.push_back(line);
    std::lock_guard<std::mutex> lock(mu_);
    fields_.swap(fresh);
  }

  // ignore() on std::cin under the lock: console input, reported.
  void skip_line_bad() {
    std::lock_guard<std::mutex> lock(mu_);
    std::cin.ignore(1024, '\n'); // expect: threadlint-blocking-in-critical-section "waits for console input while holding 'Formatter::mu_'"
  }

private:
  std::mutex mu_;
  std::vector<std::string> fields_;
};
