package org.safeguarding.hub.webhooks;

import jakarta.jms.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsMessage;
import org.safeguarding.hub.broker.QueueNames;

/**
 * Webhook notices: one transacted consumer of {@link QueueNames#WEBHOOK}; a notice that could not be posted rolls
 * back and the broker delivers it again later ({@link WebhookSender}).
 */
public final class WebhookRoute extends RouteBuilder {
    private final WebhookSender sender;

    public WebhookRoute(WebhookSender sender) {
        this.sender = sender;
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler());
        from("jms:queue:" + QueueNames.WEBHOOK + "?mapJmsMessage=false&concurrentConsumers=1&maxConcurrentConsumers=1")
                .routeId("webhooks")
                .process(exchange -> {
                    Message m = exchange.getIn(JmsMessage.class).getJmsMessage();
                    sender.send(m);
                }).id("webhook-send");
    }
}
