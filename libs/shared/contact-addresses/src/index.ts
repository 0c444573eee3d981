export * from './contact-address-book';
