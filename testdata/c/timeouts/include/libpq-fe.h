/* libpq-fe.h - declaration-only stub of libpq for omen's testdata (real signatures). */
#ifndef OMEN_STUB_LIBPQ_FE_H
#define OMEN_STUB_LIBPQ_FE_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { CONNECTION_OK, CONNECTION_BAD } ConnStatusType;
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

extern PGconn *PQconnectdb(const char *conninfo);
extern PGconn *PQconnectStart(const char *conninfo);
extern PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
extern PGconn *PQsetdbLogin(const char *pghost, const char *pgport, const char *pgoptions, const char *pgtty,
                            const char *dbName, const char *login, const char *pwd);
extern ConnStatusType PQstatus(const PGconn *conn);
extern char *PQerrorMessage(const PGconn *conn);
extern void PQfinish(PGconn *conn);
extern PGresult *PQexec(PGconn *conn, const char *query);
extern void PQclear(PGresult *res);

#ifdef __cplusplus
}
#endif

#endif
