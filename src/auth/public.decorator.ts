import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'redprop:public';

/** The route (or controller) needs no API key: health and docs. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
