// fork() in a C program with POSIX threads: called after pthread_create
// and before pthread_join, after pthread_detach, or in a thread's start
// function, with a child that calls printf, malloc, setenv, fprintf,
// snprintf, openlog, getenv or fopen before it execs, directly or in a
// helper of this file. Each way of writing the child branch is covered
// once: pid == 0, !pid, 0 == pid, (pid = fork()) == 0, fork() == 0, switch
// case 0, the else of pid != 0, else if (pid == 0). Negative cases: fork
// before the first pthread_create and after the last pthread_join,
// children that only call async-signal-safe functions (dup2, close, open,
// setsid, chdir, sigprocmask, setpgid, write), also through a helper,
// before execv/execvp/_exit, unsafe calls in the parent or the error
// branch, and posix_spawn.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

extern char **environ;

// A background thread that logs: it holds the stdio and malloc locks
// whenever it writes, so a child forked meanwhile can inherit them locked.
static pthread_mutex_t g_log_mu = PTHREAD_MUTEX_INITIALIZER;
static volatile int g_running = 1;

static void *log_flusher(void *arg) {
  FILE *out = arg;
  while (g_running) {
    pthread_mutex_lock(&g_log_mu);
    fflush(out);
    pthread_mutex_unlock(&g_log_mu);
    usleep(1000);
  }
  return NULL;
}

static int wait_child(pid_t pid) {
  int status = 0;
  if (pid > 0)
    waitpid(pid, &status, 0);
  return status;
}

// -------------------------------------------- if (pid == 0) + printf --

int run_hook(const char *cmd) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'printf' (line 58) before exec"
  if (pid == 0) {
    printf("running hook %s\n", cmd); // expect-note: "the child calls 'printf' here"
    execlp(cmd, cmd, (char *)NULL);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// The message is written in the parent; the child only execs.
int run_hook_ok(const char *cmd) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  pid_t pid = fork();
  if (pid == 0) {
    execlp(cmd, cmd, (char *)NULL);
    _exit(127);
  }
  if (pid > 0)
    printf("running hook %s as %d\n", cmd, (int)pid);
  else
    perror("fork");
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// --------------------------------------------------- if (!pid) + malloc --

int run_with_args(const char *prog, const char *arg) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'malloc' (line 94) before exec"
  if (!pid) {
    char **argv = malloc(3 * sizeof *argv); // expect-note: "the child calls 'malloc' here"
    argv[0] = (char *)prog;
    argv[1] = (char *)arg;
    argv[2] = NULL;
    execv(prog, argv);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// The argument vector is built before fork, in the parent.
int run_with_args_ok(const char *prog, const char *arg) {
  char *argv[] = {(char *)prog, (char *)arg, NULL};
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork();
  if (!pid) {
    execv(prog, argv);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// ------------------------------------------------ if (0 == pid) + setenv --

int run_in_locale(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'setenv' (line 130) before exec"
  if (0 == pid) {
    setenv("LC_ALL", "C", 1); // expect-note: "the child calls 'setenv' here"
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// The child's environment is prepared in the parent and passed to execve.
int run_in_locale_ok(const char *prog) {
  char *envp[] = {"LC_ALL=C", "PATH=/usr/bin:/bin", NULL};
  char *argv[] = {(char *)prog, NULL};
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork();
  if (0 == pid) {
    execve(prog, argv, envp);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// ------------------------- if ((pid = fork()) == 0) + fprintf, detached --

// The flusher is detached: it runs until the process ends.
int spawn_reporter(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pthread_detach(flusher);
  pid_t pid;
  if ((pid = fork()) == 0) { // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'fprintf' (line 166) before exec"
    fprintf(stderr, "[child %d] starting %s\n", (int)getpid(), prog); // expect-note: "the child calls 'fprintf' here"
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  return wait_child(pid);
}

// Redirects stdout to a file with async-signal-safe calls only.
int spawn_reporter_ok(const char *prog, const char *out_path) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pthread_detach(flusher);
  pid_t pid;
  if ((pid = fork()) == 0) {
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
      _exit(126);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  return wait_child(pid);
}

// ------------------------------- if (fork() == 0) + snprintf, in a thread --

// Runs in a worker thread: the other workers run while it forks.
static void *convert_worker(void *arg) {
  const char *input = arg;
  if (fork() == 0) { // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (it runs in thread 'convert_worker') and the child calls 'snprintf' (line 198) before exec"
    char out[256];
    snprintf(out, sizeof out, "%s.png", input); // expect-note: "the child calls 'snprintf' here"
    execlp("convert", "convert", input, out, (char *)NULL);
    _exit(127);
  }
  wait(NULL);
  return NULL;
}

static void *convert_worker_ok(void *arg) {
  const char *input = arg;
  char out[256];
  snprintf(out, sizeof out, "%s.png", input);
  if (fork() == 0) {
    execlp("convert", "convert", input, out, (char *)NULL);
    _exit(127);
  }
  wait(NULL);
  return NULL;
}

void convert_all(const char **inputs, int n) {
  pthread_t tids[8];
  if (n > 8)
    n = 8;
  for (int i = 0; i < n; ++i)
    pthread_create(&tids[i], NULL, convert_worker, (void *)inputs[i]);
  for (int i = 0; i < n; ++i)
    pthread_join(tids[i], NULL);
}

void convert_all_ok(const char **inputs, int n) {
  pthread_t tids[8];
  if (n > 8)
    n = 8;
  for (int i = 0; i < n; ++i)
    pthread_create(&tids[i], NULL, convert_worker_ok, (void *)inputs[i]);
  for (int i = 0; i < n; ++i)
    pthread_join(tids[i], NULL);
}

// -------------------------------------------------------- switch (pid) --

int daemonize_helper(const char *prog, const char *dir) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'openlog' (line 252) before exec"
  switch (pid) {
  case -1:
    perror("fork");
    break;
  case 0:
    setsid();
    if (chdir(dir) != 0)
      _exit(126);
    openlog("helper", LOG_PID, LOG_DAEMON); // expect-note: "the child calls 'openlog' here"
    execl(prog, prog, (char *)NULL);
    _exit(127);
  default:
    printf("helper started as %d\n", (int)pid);
    break;
  }
  g_running = 0;
  pthread_join(flusher, NULL);
  return pid > 0 ? 0 : -1;
}

int daemonize_helper_ok(const char *prog, const char *dir) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork();
  switch (pid) {
  case -1:
    perror("fork");
    break;
  case 0:
    setsid();
    if (chdir(dir) != 0)
      _exit(126);
    execl(prog, prog, (char *)NULL);
    _exit(127);
  default:
    printf("helper started as %d\n", (int)pid);
    break;
  }
  g_running = 0;
  pthread_join(flusher, NULL);
  return pid > 0 ? 0 : -1;
}

// ------------------------------------ the else of (pid != 0), (pid > 0) --

int pipe_to_pager(const char *text) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'getenv' (line 304) before exec"
  if (pid != 0) {
    close(fds[0]);
    (void)!write(fds[1], text, strlen(text));
    close(fds[1]);
    wait_child(pid);
  } else {
    dup2(fds[0], STDIN_FILENO);
    close(fds[1]);
    const char *pager = getenv("PAGER"); // expect-note: "the child calls 'getenv' here"
    execlp(pager ? pager : "less", "pager", (char *)NULL);
    _exit(127);
  }
  g_running = 0;
  pthread_join(flusher, NULL);
  return 0;
}

int open_output(const char *path) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'fopen' (line 320) before exec"
  if (pid > 0) {
    wait_child(pid);
  } else if (pid == 0) {
    FILE *f = fopen(path, "w"); // expect-note: "the child calls 'fopen' here"
    if (f)
      _exit(0);
    _exit(1);
  }
  g_running = 0;
  pthread_join(flusher, NULL);
  return 0;
}

// The pager name is read in the parent, before fork.
int pipe_to_pager_ok(const char *text) {
  const char *pager = getenv("PAGER");
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork();
  if (pid != 0) {
    close(fds[0]);
    (void)!write(fds[1], text, strlen(text));
    close(fds[1]);
    wait_child(pid);
  } else {
    dup2(fds[0], STDIN_FILENO);
    close(fds[1]);
    execlp(pager ? pager : "less", "pager", (char *)NULL);
    _exit(127);
  }
  g_running = 0;
  pthread_join(flusher, NULL);
  return 0;
}

// --------------------------------------- helpers called by the child --

// Async-signal-safe work, factored out.
static void redirect_output(int fd) {
  dup2(fd, STDOUT_FILENO);
  dup2(fd, STDERR_FILENO);
  close(fd);
}

static void child_log(const char *what) {
  fprintf(stderr, "[child] %s\n", what); // expect-note: "the child calls 'fprintf' here"
}

int run_logged(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork(); // expect: threadlint-fork-in-threaded-program "'fork()' is called while other threads may run (thread 'log_flusher' may run) and the child calls 'fprintf' (line 365) before exec"
  if (pid == 0) {
    child_log(prog); // expect-note: "the child calls 'child_log'"
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// The child closes every inherited descriptor, resets its signal mask and
// disposition, and starts a new process group: all async-signal-safe.
int run_redirected_ok(char *const argv[], int log_fd) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stderr);
  pid_t pid = fork();
  if (pid == 0) {
    redirect_output(log_fd);
    for (int fd = 3; fd < 256; ++fd)
      close(fd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    setpgid(0, 0);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// ---------------------------------- before the first thread, after the last --

// A helper process forked at start-up, while the process has one thread.
static pid_t g_helper;

void start_then_thread_ok(const char *prog) {
  g_helper = fork();
  if (g_helper == 0) {
    printf("helper %d starting\n", (int)getpid());
    fflush(stdout);
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  g_running = 0;
  pthread_join(flusher, NULL);
}

// The thread is joined before fork.
void thread_then_fork_ok(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  g_running = 0;
  pthread_join(flusher, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    printf("running %s\n", prog);
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  wait_child(pid);
}

// posix_spawn does not run the parent's code in the child.
int spawn_ok(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  char *argv[] = {(char *)prog, NULL};
  pid_t pid;
  int rc = posix_spawnp(&pid, prog, NULL, NULL, argv, environ);
  if (rc == 0)
    printf("started %d\n", (int)pid);
  int status = rc == 0 ? wait_child(pid) : -1;
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// --------------------------------------------- known false negative --

// The child branch is behind a helper, so it is not recognised.
static int is_child(pid_t pid) { return pid == 0; }

int FN_child_behind_helper(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  pid_t pid = fork();
  if (is_child(pid)) {
    printf("running %s\n", prog);
    execl(prog, prog, (char *)NULL);
    _exit(127);
  }
  int status = wait_child(pid);
  g_running = 0;
  pthread_join(flusher, NULL);
  return status;
}

// The parent returns early and the child's code follows in the same
// block: the child branch is not a recognised if/else or switch.
int FN_child_after_early_return(const char *prog) {
  pthread_t flusher;
  pthread_create(&flusher, NULL, log_flusher, stdout);
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid > 0) {
    int status = wait_child(pid);
    g_running = 0;
    pthread_join(flusher, NULL);
    return status;
  }
  printf("running %s\n", prog);
  execl(prog, prog, (char *)NULL);
  _exit(127);
}
