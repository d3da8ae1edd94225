// Detached threads handed the starting scope's storage through their
// arguments: &local, std::ref/std::cref(local), .data() or .c_str() of a
// local, and 'this' with a member function pointer. Negative cases: values
// (copied into the thread), heap objects, shared_ptr and unique_ptr moved
// in, std::ref of a global or of a reference parameter, and threads that are
// joined instead of detached.
#include <array>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ---------------------------------------------------- an image pipeline --

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> pixels;
};

void encode_png(const Image *img, const char *path);
void encode_ref(const Image &img, std::string path);
void encode_raw(const unsigned char *data, std::size_t n);
void log_message(const char *msg);
void count_into(int *counter);
void encode_owned(std::unique_ptr<Image> img, std::string path);
void encode_shared(std::shared_ptr<const Image> img, std::string path);
void encode_copy(Image img, std::string path);

// The address of a local image.
void save_async_bad(const char *path) {
  Image img{640, 480, {}};
  std::thread(encode_png, &img, path).detach(); // expect: threadlint-detached-thread "detached thread receives the address of local 'img': 'img' is destroyed when 'save_async_bad' returns, while the thread may still use it" // expect-note: "the thread receives the address of local 'img' here"
}

// std::ref of a local.
void save_ref_bad(std::string path) {
  Image img{640, 480, {}};
  std::thread(encode_ref, std::ref(img), path).detach(); // expect: threadlint-detached-thread "detached thread receives a reference to local 'img' (std::ref)"
}

void save_cref_bad(std::string path) {
  Image img{320, 240, {}};
  std::thread t(encode_ref, std::cref(img), std::move(path));
  t.detach(); // expect: threadlint-detached-thread "detached thread receives a reference to local 'img' (std::cref)"
}

// A pointer into a local vector.
void upload_raw_bad() {
  std::vector<unsigned char> frame(1024);
  std::thread(encode_raw, frame.data(), frame.size()).detach(); // expect: threadlint-detached-thread "detached thread receives a pointer into local 'frame'"
}

// c_str() of a local string.
void log_async_bad(int code) {
  std::string msg = "error " + std::to_string(code);
  std::thread(log_message, msg.c_str()).detach(); // expect: threadlint-detached-thread "detached thread receives a pointer into local 'msg'"
}

// The std::string is copied into the thread: fine.
void log_async_ok(int code) {
  std::string msg = "error " + std::to_string(code);
  std::thread([](std::string m) { log_message(m.c_str()); }, msg).detach();
}

// A copy of the image.
void save_copy_ok(std::string path) {
  Image img{640, 480, {}};
  std::thread(encode_copy, img, std::move(path)).detach();
}

// Owned by the thread.
void save_owned_ok(std::string path) {
  auto img = std::make_unique<Image>();
  img->width = 640;
  std::thread(encode_owned, std::move(img), std::move(path)).detach();
}

// Shared with the thread.
void save_shared_ok(std::string path) {
  auto img = std::make_shared<Image>();
  std::thread(encode_shared, img, std::move(path)).detach();
}

// A heap image the thread frees.
void encode_and_free(Image *img) {
  encode_png(img, "/tmp/out.png");
  delete img;
}

void save_heap_ok() {
  Image *img = new Image{64, 64, {}};
  std::thread(encode_and_free, img).detach();
}

// The same pointer arguments, but joined.
void save_joined_ok(const char *path) {
  Image img{640, 480, {}};
  std::thread t(encode_png, &img, path);
  t.join();
}

void upload_raw_joined_ok() {
  std::vector<unsigned char> frame(1024);
  std::thread t(encode_raw, frame.data(), frame.size());
  t.join();
}

// A global counter.
int g_saved = 0;

void count_global_ok() { std::thread(count_into, &g_saved).detach(); }

// A reference parameter passed on: the caller owns the image.
void save_param_ok(const Image &img, std::string path) {
  std::thread(encode_ref, std::cref(img), std::move(path)).detach();
}

// A static local counter.
void count_static_ok() {
  static int s_count = 0;
  std::thread(count_into, &s_count).detach();
}

// ------------------------------------------ 'this' and member functions --

class Camera {
public:
  ~Camera() { stop_ok(); }

  // A member function run on 'this', detached: the camera may be gone.
  void capture_bad() {
    std::thread(&Camera::grab, this).detach(); // expect: threadlint-detached-thread "detached thread receives 'this': nothing keeps the 'Camera' alive while it runs"
  }

  // Kept and joined by stop().
  void capture_ok() { grabber_ = std::thread(&Camera::grab, this); }
  void stop_ok() {
    if (grabber_.joinable())
      grabber_.join();
  }

  // A static member function with copied arguments.
  void snapshot_ok() const {
    std::thread(&Camera::save_frame, frame_).detach();
  }

  // The address of a local passed to a member function of another object.
  void snapshot_bad(Camera &other) {
    Image copy = frame_;
    std::thread(&Camera::store, &other, &copy).detach(); // expect: threadlint-detached-thread "detached thread receives the address of local 'copy': 'copy' is destroyed when 'Camera::snapshot_bad' returns"
  }

private:
  void grab() { frame_.width++; }
  void store(const Image *img) { frame_ = *img; }
  static void save_frame(Image img) { encode_png(&img, "/tmp/frame.png"); }

  Image frame_;
  std::thread grabber_;
};

// --------------------------------------------------- local arrays --

void fill(char *buf, std::size_t n);

// A local array handed over: std::thread decay-copies it to a pointer.
void fill_async_bad() {
  char buf[256];
  std::thread(fill, buf, sizeof buf).detach(); // expect: threadlint-detached-thread "detached thread receives local array 'buf'"
}

// A std::array copied into the thread.
void fill_copy_ok() {
  std::array<char, 256> buf{};
  std::thread([buf]() mutable { fill(buf.data(), buf.size()); }).detach();
}

// ------------------------------------ member functions on a shared_ptr --

class Stream : public std::enable_shared_from_this<Stream> {
public:
  // The thread holds a shared_ptr to the stream as its object argument.
  void pump_ok() { std::thread(&Stream::pump, shared_from_this()).detach(); }

  // The raw pointer does not keep it alive.
  void pump_bad() {
    std::thread(&Stream::pump, this).detach(); // expect: threadlint-detached-thread "detached thread receives 'this'"
  }

private:
  void pump() { ++frames_; }
  int frames_ = 0;
};
