-- One database per service (architecture brief, section 2). Run once by the postgres image on an
-- empty data volume (/docker-entrypoint-initdb.d). `hues migrate <service>` also creates its
-- database if missing, so a volume initialised before a service existed still works.
CREATE DATABASE identity;
CREATE DATABASE integration;
CREATE DATABASE feedback;
CREATE DATABASE notification;
CREATE DATABASE catalog;
