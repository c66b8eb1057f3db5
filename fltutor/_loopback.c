/*
 * Confine le worker_binary de TFF : boucle locale, et mort avec son parent.
 *
 * Le worker de TensorFlow Federated 0.87 ouvre son port gRPC sur toutes les
 * interfaces réseau ("[::]", socket « double pile » IPv6 + IPv4) et n'a
 * aucune option pour l'éviter. Chargée avec LD_PRELOAD, cette bibliothèque
 * intercepte deux appels :
 *
 * - bind() : l'adresse « toutes interfaces » (0.0.0.0 ou ::) est remplacée
 *   par l'adresse de bouclage (127.0.0.1 ou ::1) ; les autres adresses ne
 *   sont pas modifiées. Le worker n'est plus joignable que depuis la machine.
 *
 * - setsockopt(IPV6_V6ONLY, 0) : une socket « double pile » liée à ::1
 *   n'accepterait que l'IPv6, et « 127.0.0.1:port » serait refusé. On rend
 *   donc la socket IPv6 seule et on signale l'échec de l'option : gRPC ouvre
 *   alors aussi une socket IPv4 (0.0.0.0, ramenée à 127.0.0.1 par bind()).
 *   Résultat : le worker écoute sur ::1 ET 127.0.0.1, comme « localhost ».
 *
 * - au chargement (constructeur) : si FLTUTOR_PARENT_PID est défini, le
 *   worker demande au noyau Linux d'être tué (SIGKILL) quand son parent
 *   meurt (prctl PR_SET_PDEATHSIG), puis s'arrête aussitôt si ce parent est
 *   déjà mort. Fait ici, après exec(), et non entre fork() et exec() dans
 *   Python (preexec_fn) : dans un processus à plusieurs fils d'exécution
 *   comme TensorFlow, le code Python exécuté entre fork() et exec() peut
 *   bloquer le fils pour toujours.
 *
 * Compilée à la première utilisation par fltutor/runtime.py :
 *   cc -shared -fPIC -O2 -o libfltutor_loopback.so _loopback.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

__attribute__((constructor)) static void die_with_parent(void) {
  const char *parent = getenv("FLTUTOR_PARENT_PID");
  if (parent == NULL) return;
  pid_t expected = (pid_t)atol(parent);
  unsetenv("FLTUTOR_PARENT_PID"); /* pas pour les éventuels petits-enfants */
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (getppid() != expected) _exit(1); /* parent mort avant prctl */
}

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

int setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
  static setsockopt_fn real_setsockopt = NULL;
  if (real_setsockopt == NULL)
    real_setsockopt = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
  if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY && value != NULL &&
      len >= (socklen_t)sizeof(int) && *(const int *)value == 0) {
    const int on = 1;
    real_setsockopt(fd, level, name, &on, sizeof on);
    errno = ENOPROTOOPT;
    return -1;
  }
  return real_setsockopt(fd, level, name, value, len);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  static bind_fn real_bind = NULL;
  if (real_bind == NULL) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
  if (addr != NULL && addr->sa_family == AF_INET &&
      len >= (socklen_t)sizeof(struct sockaddr_in)) {
    struct sockaddr_in a;
    memcpy(&a, addr, sizeof a);
    if (a.sin_addr.s_addr == htonl(INADDR_ANY)) {
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      return real_bind(fd, (const struct sockaddr *)&a, sizeof a);
    }
  } else if (addr != NULL && addr->sa_family == AF_INET6 &&
             len >= (socklen_t)sizeof(struct sockaddr_in6)) {
    struct sockaddr_in6 a;
    memcpy(&a, addr, sizeof a);
    if (memcmp(&a.sin6_addr, &in6addr_any, sizeof a.sin6_addr) == 0) {
      a.sin6_addr = in6addr_loopback;
      return real_bind(fd, (const struct sockaddr *)&a, sizeof a);
    }
  }
  return real_bind(fd, addr, len);
}
