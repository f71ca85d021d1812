#include <stdio.h>

int main(void)
{
	puts("hello from a smechdeploy fixture");
	return 0;
}
