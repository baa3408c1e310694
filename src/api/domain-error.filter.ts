import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { httpStatusOf } from '../domain/error-catalogue.js';
import { DomainError, TooManyRequestsError } from '../domain/errors.js';

/** The one place where errors become HTTP answers: `{ code, message, messageZh, details }`. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      if (error instanceof TooManyRequestsError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      response.status(httpStatusOf(error.category)).json({ code: error.code, message: error.message, messageZh: error.messageZh, details: error.details });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === Number(HttpStatus.PAYLOAD_TOO_LARGE)) {
        response.status(status).json({ code: 'UPLOAD_TOO_LARGE', message: error.message, messageZh: '上传的文件或请求过大', details: [] });
        return;
      }
      response.status(status).json({
        code: status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR',
        message: error.message,
        messageZh: status === 404 ? '资源不存在' : '请求有误',
        details: [],
      });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(500).json({ code: 'INTERNAL_ERROR', message: 'internal error', messageZh: '内部错误', details: [] });
  }
}
