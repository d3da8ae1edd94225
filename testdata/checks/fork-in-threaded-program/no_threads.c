// A single-threaded C program that forks: a classic daemon and a
// fork/exec helper whose children print, allocate and read the
// environment before exec. No thread is started in this translation unit,
// so the child inherits no lock held by another thread: nothing is
// reported.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

int daemonize_ok(const char *name) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid > 0)
    exit(0);
  setsid();
  if (fork() > 0)
    exit(0);
  umask(0);
  if (chdir("/") != 0)
    return -1;
  openlog(name, LOG_PID, LOG_DAEMON);
  syslog(LOG_INFO, "started");
  return 0;
}

int run_command_ok(const char *cmd) {
  pid_t pid = fork();
  if (pid == 0) {
    char *copy = strdup(cmd);
    printf("running %s\n", copy);
    fflush(stdout);
    const char *shell = getenv("SHELL");
    execl(shell ? shell : "/bin/sh", "sh", "-c", copy, (char *)NULL);
    perror("execl");
    exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int capture_output_ok(const char *prog, char *buf, size_t size) {
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  switch (fork()) {
  case -1:
    return -1;
  case 0: {
    FILE *out = fdopen(fds[1], "w");
    fprintf(out, "# output of %s\n", prog);
    fflush(out);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    execlp(prog, prog, (char *)NULL);
    _exit(127);
  }
  default:
    close(fds[1]);
    ssize_t n = read(fds[0], buf, size - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    wait(NULL);
    return 0;
  }
}
