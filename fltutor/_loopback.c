/*
 * Confine le worker_binary de TFF à la boucle locale.
 *
 * Le worker de TensorFlow Federated 0.87 ouvre son port gRPC sur toutes les
 * interfaces réseau ("[::]" ou "0.0.0.0") et n'a aucune option pour l'éviter.
 * Chargée avec LD_PRELOAD, cette bibliothèque intercepte l'appel système
 * bind() et remplace l'adresse « toutes interfaces » par l'adresse de
 * bouclage (::1 ou 127.0.0.1) : le worker n'est plus joignable que depuis
 * la machine elle-même. Les autres adresses ne sont pas modifiées.
 *
 * Compilée à la première utilisation par fltutor/runtime.py :
 *   cc -shared -fPIC -O2 -o libfltutor_loopback.so _loopback.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  static bind_fn real_bind = NULL;
  if (real_bind == NULL) real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
  if (addr != NULL && addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    struct sockaddr_in a;
    memcpy(&a, addr, sizeof a);
    if (a.sin_addr.s_addr == htonl(INADDR_ANY)) {
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      return real_bind(fd, (const struct sockaddr *)&a, sizeof a);
    }
  } else if (addr != NULL && addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
    struct sockaddr_in6 a;
    memcpy(&a, addr, sizeof a);
    if (memcmp(&a.sin6_addr, &in6addr_any, sizeof a.sin6_addr) == 0) {
      a.sin6_addr = in6addr_loopback;
      return real_bind(fd, (const struct sockaddr *)&a, sizeof a);
    }
  }
  return real_bind(fd, addr, len);
}
