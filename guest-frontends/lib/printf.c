// SPDX-License-Identifier: GPL-2.0
/* A small vsnprintf: enough for test output, no floating point. */
#include <kg/console.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	bool left;
	bool alt;		/* '#': 0x prefix for %x */
	char pad;
	unsigned int width;
	int lng;		/* 0: int, 1: long, 2: long long */
};

static void put_padded(struct out *o, const struct spec *sp,
		       const char *s, size_t n)
{
	size_t fill = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		while (fill--)
			put(o, sp->pad);
	while (n--)
		put(o, *s++);
	if (sp->left)
		while (fill--)
			put(o, ' ');
}

static void put_num(struct out *o, const struct spec *sp,
		    unsigned long long v, bool neg, unsigned int base,
		    bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (sp->pad == '0' && sp->width) {
			struct spec s2 = *sp;

			put(o, '-');
			s2.width = sp->width ? sp->width - 1 : 0;
			put_padded(o, &s2, tmp + i, sizeof(tmp) - i);
			return;
		}
		tmp[--i] = '-';
	}
	put_padded(o, sp, tmp + i, sizeof(tmp) - i);
}

static const char *parse_spec(const char *fmt, struct spec *sp)
{
	*sp = (struct spec){ .pad = ' ' };
	for (;; fmt++) {
		if (*fmt == '-')
			sp->left = true;
		else if (*fmt == '#')
			sp->alt = true;
		else if (*fmt == '0')
			sp->pad = '0';
		else
			break;
	}
	while (*fmt >= '0' && *fmt <= '9')
		sp->width = sp->width * 10 + (*fmt++ - '0');
	/* 'z': size_t is as wide as long on x86-64 and on i386. */
	while (*fmt == 'l' || *fmt == 'z') {
		sp->lng++;
		fmt++;
	}
	return fmt;
}

static unsigned long long get_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (sp->lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long get_signed(const struct spec *sp, va_list *ap)
{
	if (sp->lng >= 2)
		return va_arg(*ap, long long);
	if (sp->lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	const char *s;
	long long sv;
	char ch;

	switch (c) {
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		put_padded(o, sp, s, strlen(s));
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, sp, &ch, 1);
		break;
	case 'd':
	case 'i':
		sv = get_signed(sp, ap);
		put_num(o, sp, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
			sv < 0, 10, false);
		break;
	case 'u':
		put_num(o, sp, get_unsigned(sp, ap), false, 10, false);
		break;
	case 'x':
	case 'X':
		if (sp->alt) {
			put(o, '0');
			put(o, c);
		}
		put_num(o, sp, get_unsigned(sp, ap), false, 16, c == 'X');
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, sp, (unsigned long)va_arg(*ap, void *), false, 16,
			false);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		put(o, c);
		break;
	}
}

int kg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp);
		if (!*fmt)
			break;
		convert(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int kg_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kg_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
