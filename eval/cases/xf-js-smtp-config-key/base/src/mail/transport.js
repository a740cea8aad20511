import nodemailer from "nodemailer";

export function createTransport(config) {
  return nodemailer.createTransport({
    host: config.smtp_host,
    port: config.smtp_port,
  });
}
